export { type SeedChange, s3Record, sqsEvent, sqsMessage } from '../../local/events.js';

import { buildApp } from './build.js';
import { ContextError } from './context.js';

try {
  buildApp().app.synth();
} catch (error) {
  // A bad context value is the operator's to fix: the message says which and why; a stack trace would not.
  if (!(error instanceof ContextError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}

import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Replaces @aws-sdk/credential-provider-node in the Lambda bundle only (see cdk/bundling.ts). Lambda
 * always hands the function's role credentials over in environment variables, so the SDK's full chain
 * (SSO, INI files, STS web identity, IMDS, with their nested clients: ~90 KB) is dead weight there.
 */
export const defaultProvider = (): ReturnType<typeof fromEnv> => fromEnv();

#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The CLI shares its TypeScript with the Lambda and runs it as source. A namespaced registration
// compiles only what this import reaches, and the repository's tsconfig applies whatever the cwd holds.
const tsx = register({
  namespace: 'seedfeed-cli',
  tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
});
// The SDK warns once per process that Node 20 support ends; on a command line it buries the output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await tsx.import('../cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv);

// Tests start the reference target through the same code path as `npm start`.
export { startLocalTarget as startTarget, type RunningTarget, type TargetOptions } from '../../tools/runner/reference-server.ts';

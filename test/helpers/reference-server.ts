// Tests start the reference server through the same code path as `npm start`.
export { type ReferenceServerOptions, type RunningReferenceServer, startLocalReferenceServer as startReferenceServer } from '../../tools/runner/reference-server.ts';
// Former name, for tests outside test/reference-server and the workload tests until they switch.

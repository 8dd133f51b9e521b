export { ClusterMember, type ClusterMemberDeps, type ClusterStats } from './ClusterMember.js';
export {
  type ClusterOptions,
  DEFAULT_LEASE_MS,
  defaultInstanceId,
  MIN_LEASE_MS,
  type ResolvedClusterOptions,
  resolveClusterOptions,
} from './ClusterOptions.js';
export { fairShare } from './fairShare.js';
export { httpRestartForwarder, type RestartForwarder } from './forwardRestart.js';
export { type HeldLease, type InstanceRow, LeaseTable } from './LeaseTable.js';
export { LiveShare, type LiveShareDeps } from './LiveShare.js';
export { LiveTable, type PublishedView, type RemoteRow } from './LiveTable.js';
export { type LiveView, liveViewOf, parseLiveView } from './LiveView.js';
export { OwnershipGate } from './OwnershipGate.js';
export { SharedFleetView, type SharedFleetViewDeps } from './SharedFleetView.js';

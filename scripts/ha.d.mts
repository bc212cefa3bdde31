// Types of scripts/ha.mjs, for the HA tests.
export interface HaMember {
  name: string;
  pgPort: number;
  restPort: number;
}
export interface HaState {
  dir: string;
  etcd: { name: string; clientPort: number; peerPort: number }[];
  members: HaMember[];
  leaderPort: number;
  replicaPort: number;
  pids: { etcd: number[]; patroni: Record<string, number>; haproxy: number | null };
}
export interface ClusterMember {
  name: string;
  role: string;
  state: string;
  timeline?: number;
  lag?: number | string;
}
export interface Cluster {
  members: ClusterMember[];
}
export function up(options?: { dir?: string }): Promise<HaState>;
export function down(options?: { dir?: string }): Promise<void>;
export function readState(dir?: string): HaState;
export function clusterStatus(state: HaState): Promise<Cluster>;
export function isHealthy(cluster: Cluster, expected?: number): boolean;
export function waitHealthy(state: HaState, timeoutMs?: number): Promise<Cluster>;
export function databaseUrl(state: HaState, port?: number): string;
export function superuserUrl(state: HaState, port?: number): string;
export function leader(state: HaState): Promise<{ name: string; pid: number; cluster: Cluster } | undefined>;
export function switchover(state: HaState, from: string, to: string): void;

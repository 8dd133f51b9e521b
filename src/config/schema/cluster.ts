/** Several instances sharing one fleet through PostgreSQL (storage kind `postgres` only). */
import Type from 'typebox';
import { DEFAULT_LEASE_MS, MIN_LEASE_MS } from '../../monitor/cluster/ClusterOptions.js';

export const clusterSettings = {
  cluster: Type.Object(
    {
      leaseMs: Type.Integer({
        minimum: MIN_LEASE_MS,
        maximum: 600_000,
        default: DEFAULT_LEASE_MS,
        description:
          'How long a miner lease (and an instance heartbeat) lasts unrenewed; a dead instance’s miners are polled again within twice this. Instances renew every third of it.',
      }),
      instanceId: Type.Optional(
        Type.String({
          pattern: '^[\\w.:-]{1,100}$',
          'x-expected': '1 to 100 letters, digits, ., :, _ or -',
          description: 'This instance’s name in the `instances` table; unset: `<hostname>-<pid>-<random>`.',
        }),
      ),
    },
    {
      additionalProperties: false,
      default: { leaseMs: DEFAULT_LEASE_MS },
      description:
        'With storage kind `postgres`, every instance on the database shares the fleet by leases (docs/OPERATIONS.md, Farms). Ignored with SQLite, which is single-instance.',
    },
  ),
};

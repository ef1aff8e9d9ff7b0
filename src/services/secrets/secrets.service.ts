// Credentials Flywheel must use later (database sources, S3 keys, webhook secrets): encrypted
// with AES-256-GCM under FLYWHEEL_SECRET_KEY, write-only over the API, never logged.
import type { Clock } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { MetadataStore } from '../../domain/ports/metadata-store.js';
import type { ProjectAccess } from '../access/authorize.js';
import type { CallContext } from '../access/principal.js';
import type { OperationRunner } from '../operation.js';
import type { SecretCipher } from './secret-cipher.js';

export interface SecretInfo {
  name: string;
  created_at: number;
  updated_at: number;
}

/** Additional authenticated data: a ciphertext only decrypts under its own project and name. */
function aad(projectId: string | null, name: string): string {
  return `${projectId ?? ''}/${name}`;
}

export class SecretsService {
  constructor(
    private readonly store: MetadataStore,
    private readonly ops: OperationRunner,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  async put(ctx: CallContext, access: ProjectAccess, name: string, value: string): Promise<SecretInfo> {
    const projectId = access.project.id;
    const now = this.clock.now();
    const existing = await this.store.secrets.get(projectId, name);
    const record = {
      id: existing?.id ?? newId(),
      project_id: projectId,
      name,
      ciphertext: this.cipher.encrypt(value, aad(projectId, name)),
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    await this.ops.run(ctx, { action: 'secret.put', project_id: projectId, target_ids: { secret: record.id }, details: { name } }, (tx) =>
      tx.secrets.put(record),
    );
    return { name, created_at: record.created_at, updated_at: now };
  }

  async list(access: ProjectAccess): Promise<SecretInfo[]> {
    const rows = await this.store.secrets.list(access.project.id);
    return rows.map((r) => ({ name: r.name, created_at: r.created_at, updated_at: r.updated_at }));
  }

  async delete(ctx: CallContext, access: ProjectAccess, name: string): Promise<void> {
    const projectId = access.project.id;
    await this.ops.run(ctx, { action: 'secret.delete', project_id: projectId, details: { name } }, async (tx) => {
      if (!(await tx.secrets.delete(projectId, name))) throw new NotFoundError('secret', name);
    });
  }

  /** For services only (never over the API): the plaintext of a secret. */
  async reveal(projectId: string | null, name: string): Promise<string> {
    const record = await this.store.secrets.get(projectId, name);
    if (!record) throw new NotFoundError('secret', name);
    return this.cipher.decrypt(record.ciphertext, aad(projectId, name));
  }
}

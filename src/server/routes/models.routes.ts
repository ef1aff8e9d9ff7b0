// The model registry: models, versions (and their ONNX bytes), aliases and their history, and
// validation of a version against the KPI gate.
import { api } from '../../contracts/index.js';
import type { Handlers, RouteDeps } from '../route.js';

export const modelEndpoints = {
  listModels: api.listModels,
  getModel: api.getModel,
  listModelVersions: api.listModelVersions,
  getModelVersion: api.getModelVersion,
  getModelVersionOnnx: api.getModelVersionOnnx,
  setModelAlias: api.setModelAlias,
  listAliasHistory: api.listAliasHistory,
  validateModelVersion: api.validateModelVersion,
};

export function modelHandlers({ services }: RouteDeps): Handlers<typeof modelEndpoints> {
  const registry = services.registry;
  return {
    listModels: async ({ access, query }) => registry.listModels(access, query),
    getModel: async ({ access, params }) => registry.getModel(access, params.model),
    listModelVersions: async ({ access, params, query }) => registry.listVersions(access, params.model, query),
    getModelVersion: async ({ access, params }) => registry.getVersion(access, params.model, params.version),
    getModelVersionOnnx: async ({ access, params, reply }) => {
      const { version, bytes } = await registry.versionBytes(access, params.model, params.version);
      reply.header('content-type', 'application/octet-stream');
      reply.header('content-disposition', `attachment; filename="${version.model}-v${version.version}.onnx"`);
      reply.header('x-artifact-sha256', version.artifact_sha256);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    setModelAlias: async ({ ctx, access, params, body }) =>
      registry.setAlias(ctx, access, params.model, params.alias, body.version, body.reason ?? '', { overrideGate: body.override_gate }),
    listAliasHistory: async ({ access, params, query }) => registry.aliasHistory(access, params.model, query),
    validateModelVersion: async ({ ctx, access, params }) => services.validation.validate(ctx, access, params.model, params.version),
  };
}

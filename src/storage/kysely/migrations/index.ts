// The ordered list of migrations. Forward only: append a new file, never edit a shipped one.
import type { Migration } from 'kysely';
import * as m0001 from './0001-foundations.js';
import * as m0002 from './0002-datasets.js';
import * as m0003 from './0003-serving.js';
import * as m0004 from './0004-annotation.js';
import * as m0005 from './0005-loop.js';
import * as m0006 from './0006-mlflow.js';
import * as m0007 from './0007-staging.js';
import * as m0008 from './0008-annotation-exchange.js';
import * as m0009 from './0009-run-artifacts.js';
import * as m0010 from './0010-model-cards.js';
import * as m0011 from './0011-annotation-quality.js';
import * as m0012 from './0012-dataset-sources.js';
import * as m0013 from './0013-dataset-curation.js';
import * as m0014 from './0014-serving-traffic.js';
import * as m0015 from './0015-labelling-task-types.js';
import * as m0016 from './0016-labelling-automation.js';
import * as m0017 from './0017-run-search.js';
import * as m0018 from './0018-serving-batching.js';
import * as m0019 from './0019-search-trials.js';
import * as m0020 from './0020-staged-rows.js';
import * as m0021 from './0021-labelling-job-counts.js';
import * as m0022 from './0022-staging-counts.js';

export const migrations: Record<string, Migration> = {
  '0001-foundations': m0001,
  '0002-datasets': m0002,
  '0003-serving': m0003,
  '0004-annotation': m0004,
  '0005-loop': m0005,
  '0006-mlflow': m0006,
  '0007-staging': m0007,
  '0008-annotation-exchange': m0008,
  '0009-run-artifacts': m0009,
  '0010-model-cards': m0010,
  '0011-annotation-quality': m0011,
  '0012-dataset-sources': m0012,
  '0013-dataset-curation': m0013,
  '0014-serving-traffic': m0014,
  '0015-labelling-task-types': m0015,
  '0016-labelling-automation': m0016,
  '0017-run-search': m0017,
  '0018-serving-batching': m0018,
  '0019-search-trials': m0019,
  '0020-staged-rows': m0020,
  '0021-labelling-job-counts': m0021,
  '0022-staging-counts': m0022,
};

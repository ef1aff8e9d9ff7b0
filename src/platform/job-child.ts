// The process a background job runs in (forked by the worker pool of `flywheel up` or
// `flywheel worker`): it opens the platform from the same environment and runs one task.
import { runChild } from '../storage/jobs/child-harness.js';
import { configFromEnv, openPlatform } from '../platform.js';
import { taskHandlers } from './tasks.js';

runChild(taskHandlers(() => openPlatform(configFromEnv(process.env))));

// Default entry of the writer's worker threads.
import { runWriterWorkerIfChild } from './updateWorker';

runWriterWorkerIfChild();

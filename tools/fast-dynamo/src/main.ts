// Child-process entry of `spawnFastDynamo`: starts fast-dynamo and reports its endpoint to the
// parent over IPC; exits when the parent disconnects.
import { startFastDynamo } from './startFastDynamo';

const server = await startFastDynamo();
process.send?.({ endpoint: server.endpoint });
process.on('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});

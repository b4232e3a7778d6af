import mongoose from 'mongoose';
import { RestartableFerretDb } from '/work/main/backend/test/support/ferretdb-process.ts';
const ferret = await RestartableFerretDb.start();
for (const opts of [{}, { socketTimeoutMS: 3000 }, { timeoutMS: 3000 }]) {
  const conn = mongoose.createConnection(ferret.uri + 'x', { serverSelectionTimeoutMS: 2000, bufferCommands: false, ...opts } as any);
  await conn.asPromise();
  const coll = conn.collection('t');
  await coll.insertOne({ a: 1 });
  ferret.freeze();
  const t = Date.now();
  const r = await Promise.race([coll.insertOne({ a: 2 }).then(() => 'ok', (e: any) => 'error ' + e.name), new Promise((res) => setTimeout(() => res('hang'), 8000))]);
  console.log(JSON.stringify(opts), r, Date.now() - t, 'ms');
  ferret.thaw();
  const t2 = Date.now();
  let ok = false;
  while (Date.now() - t2 < 15000) { try { await coll.insertOne({ a: 3 }); ok = true; break; } catch { await new Promise(r => setTimeout(r, 200)); } }
  console.log('  recovered', ok, Date.now() - t2, 'ms');
  await conn.close();
}
await ferret.remove();
process.exit(0);

// bench-duckdb.mjs: the tool a data engineer would pick instead of iffnet ingest:
// DuckDB (2 threads) reads the same transactions CSV with explicit column types,
// numbers the accounts (the union of sources and targets, row_number()) and builds
// the edge list with two joins. Prints the phase times.
// Usage: node scripts/bench-duckdb.mjs TRANSACTIONS.csv   (needs @duckdb/node-api;
// scripts/bench installs it with npm into its own directory, never into iffnet)
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2].replaceAll("'", "''");
const db = await DuckDBInstance.create(':memory:', { threads: process.env.DUCKDB_THREADS || '2' });
const con = await db.connect();
const secs = (a, b) => ((b - a) / 1000).toFixed(2);
const t0 = performance.now();
await con.run(`CREATE TABLE tx AS SELECT * FROM read_csv('${path}', header = true, columns = {
    'tx_id': 'VARCHAR', 'timestamp': 'VARCHAR', 'source': 'VARCHAR', 'target': 'VARCHAR',
    'amount': 'DECIMAL(18,2)', 'currency': 'VARCHAR', 'channel': 'VARCHAR', 'reference': 'VARCHAR'})`);
const t1 = performance.now();
await con.run(`CREATE TABLE acct AS SELECT a, row_number() OVER () - 1 AS id
               FROM (SELECT source AS a FROM tx UNION SELECT target FROM tx)`);
await con.run(`CREATE TABLE edges AS SELECT s.id AS src, d.id AS dst, tx.amount
               FROM tx JOIN acct s ON tx.source = s.a JOIN acct d ON tx.target = d.a`);
const t2 = performance.now();
const n = (await con.runAndReadAll(
    'SELECT (SELECT count(*) FROM tx), (SELECT count(*) FROM acct), (SELECT count(*) FROM edges)')).getRows()[0];
console.log(`duckdb: read_csv ${secs(t0, t1)} s, ids + edge list ${secs(t1, t2)} s, total ${secs(t0, t2)} s ` +
            `(${n[0]} rows, ${n[1]} accounts, ${n[2]} edges)`);

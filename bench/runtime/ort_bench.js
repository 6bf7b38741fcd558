#!/usr/bin/env node
// Times one model on ONNX Runtime (onnxruntime-node) the way bench_runtime
// times ours: fixed input pattern, 15 untimed runs, then RUNS timed runs;
// prints "ms=<median>". Denormals are flushed (set_denormal_as_zero), as
// our runtime does. Usage: ort_bench.js MODEL THREADS RUNS
'use strict';

const path = require('path');
const ort = require(path.join(__dirname, '..', '..', 'node_modules', 'onnxruntime-node'));

async function main() {
  const [model, threadsText, runsText] = process.argv.slice(2);
  const threads = Number(threadsText), runs = Number(runsText);
  if (!model || !(threads > 0) || !(runs > 0)) {
    console.error('usage: ort_bench.js MODEL THREADS RUNS');
    process.exit(2);
  }
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
    extra: {session: {set_denormal_as_zero: '1'}},
  });
  const dims = session.inputMetadata[0].shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const count = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++)
    data[i] = (i % 251) / 125 - 1;
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, dims)};
  const times = [];
  for (let i = 0; i < 15 + runs; i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    if (i >= 15)
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log('ms=' + times[Math.floor(runs / 2)].toFixed(4));
}

main().catch((error) => {
  console.error('onnxruntime benchmark failed: ' + error.message);
  process.exit(1);
});

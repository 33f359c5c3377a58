// Times a .tflite model with LiteRT.js (@litertjs/core, wasm CPU backend) in
// Node 20, using a small shim for the browser globals its loader expects.
// usage (from a directory containing node_modules/@litertjs/core):
//   node litert_bench.js MODEL.tflite ITERS [INPUTS.bin]
// INPUTS.bin: float32 data of all inputs concatenated in input order (optional,
// zeros otherwise). Prints "ms/image X", "cpu_ms/image Y" and writes outputs to MODEL.litert.out.bin.
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');

async function main() {
  const [modelPath, itersArg, inputsPath] = process.argv.slice(2);
  const iters = Number(itersArg || 20);
  const pkg = path.resolve('node_modules/@litertjs/core');
  const wasmDir = path.join(pkg, 'wasm');
  globalThis.self = globalThis;
  globalThis.__dirname = wasmDir;
  globalThis.require = require;
  globalThis.importScripts = (url) => {
    const file = url.toString().replace(/^file:\/\//, '');
    vm.runInThisContext(fs.readFileSync(file, 'utf8'), {filename: file});
  };
  const lrt = await import(path.join(pkg, 'dist/index.js'));
  await lrt.loadLiteRt(wasmDir + '/');
  const model = await lrt.loadAndCompile(new Uint8Array(fs.readFileSync(modelPath)), {accelerator: 'wasm'});
  const details = model.getInputDetails();
  const all = inputsPath ? new Float32Array(fs.readFileSync(inputsPath).buffer.slice(0)) : null;
  let off = 0;
  const inputs = details.map((d) => {
    const n = d.shape.reduce((a, b) => a * b, 1);
    const data = all ? all.slice(off, off + n) : new Float32Array(n);
    off += n;
    return new lrt.Tensor(data, Array.from(d.shape));
  });
  let outs = await model.run(inputs); // warm-up
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) {
    for (const o of outs) o.delete();
    outs = await model.run(inputs);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / iters;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1e3 / iters;
  const chunks = [];
  for (const o of outs) {
    const t = await o.moveTo('wasm');
    const a = t.toTypedArray();
    chunks.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  fs.writeFileSync(modelPath + '.litert.out.bin', Buffer.concat(chunks));
  console.log('ms/image ' + ms.toFixed(3));
  console.log('cpu_ms/image ' + cpuMs.toFixed(3));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

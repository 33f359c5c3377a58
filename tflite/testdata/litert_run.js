// Runs .tflite models with LiteRT.js (@litertjs/core, wasm XNNPACK CPU) in Node 20.
// usage (working directory containing node_modules/@litertjs/core):
//   node litert_run.js MANIFEST
// Each MANIFEST line is tab-separated: MODEL.tflite OUTDIR IN0.bin [IN1.bin ...]
// with float32 inputs; writes OUTDIR/out0.bin ... (float32) or OUTDIR/error.txt.
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');

async function main() {
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
  const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l);
  for (const line of lines) {
    const [model, outdir, ...ins] = line.split('\t');
    try {
      const m = await lrt.loadAndCompile(new Uint8Array(fs.readFileSync(model)), {accelerator: 'wasm'});
      const details = m.getInputDetails();
      const inputs = details.map((d, k) => {
        const buf = fs.readFileSync(ins[k]);
        const data = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        return new lrt.Tensor(data, Array.from(d.shape));
      });
      const outs = await m.run(inputs);
      for (let k = 0; k < outs.length; k++) {
        const t = await outs[k].moveTo('wasm');
        const a = t.toTypedArray();
        fs.writeFileSync(path.join(outdir, 'out' + k + '.bin'), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
      }
    } catch (e) {
      fs.writeFileSync(path.join(outdir, 'error.txt'), String(e && e.stack || e));
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

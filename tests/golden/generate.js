#!/usr/bin/env node
// Writes golden files for the runtime test: for each model, the outputs of
// ONNX Runtime (onnxruntime-node) for a seeded random input and for a real
// face crop. Each file contains the input tensors and the output tensors, so
// both runtimes see exactly the same data.
//
// Usage: generate.js MODELS_DIR IMAGE_PNG OUT_DIR
//
// File layout (little-endian): "HFGOLD1\0", then the input list and the
// output list; a list is u32 count followed by count entries of
// u32 name length, name bytes, u32 rank, i64 dims[rank], f32 data[].
'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const root = path.resolve(__dirname, '..', '..');
const ort = require(path.join(root, 'node_modules', 'onnxruntime-node'));

// Model file, layout of its image input.
const MODELS = [
  ['faceplugin/model/fr_detect.onnx', 'nchw'],
  ['faceplugin/model/fr_landmark.onnx', 'nchw'],
  ['faceplugin/model/fr_feature.onnx', 'nchw'],
  ['faceplugin/model/fr_liveness.onnx', 'nchw'],
  ['faceplugin/model/fr_eye.onnx', 'nchw'],
  ['faceplugin/model/fr_pose.onnx', 'nchw'],
  ['faceplugin/model/fr_age.onnx', 'nchw'],
  ['faceplugin/model/fr_gender.onnx', 'nchw'],
  ['faceplugin/model/fr_expression.onnx', 'nchw'],
  ['blazeface/ONNX/face_detection_front_128x128_barracuda.onnx', 'nhwc'],
  ['blazeface/ONNX/face_detection_back_256x256_barracuda.onnx', 'nhwc'],
];

// Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB or RGBA)
// into {width, height, rgb}.
function decodePng(bytes) {
  let pos = 8, width = 0, height = 0, depth = 0, colour = 0, interlace = 0;
  const idat = [];
  while (pos < bytes.length) {
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('ascii', pos + 4, pos + 8);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      colour = data[9];
      interlace = data[12];
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    pos += 12 + length;
  }
  const channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour];
  if (depth !== 8 || interlace !== 0 || channels === undefined)
    throw new Error('unsupported PNG: depth ' + depth + ', colour type ' + colour);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let p;
      switch (filter) {
        case 0: p = 0; break;
        case 1: p = a; break;
        case 2: p = b; break;
        case 3: p = (a + b) >> 1; break;
        default: {
          const e = a + b - c, da = Math.abs(e - a), db = Math.abs(e - b), dc = Math.abs(e - c);
          p = da <= db && da <= dc ? a : db <= dc ? b : c;
        }
      }
      pixels[y * stride + x] = (v + p) & 0xff;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++)
    for (let c = 0; c < 3; c++)
      rgb[i * 3 + c] = pixels[i * channels + (channels < 3 ? 0 : c)];
  return {width, height, rgb};
}

// Nearest-neighbour resize of the image into the input tensor, scaled to
// about [-1, 1]; grey inputs take the channel mean.
function faceTensor(image, dims, layout) {
  const [h, w, c] = layout === 'nchw' ? [dims[2], dims[3], dims[1]] : [dims[1], dims[2], dims[3]];
  const out = new Float32Array(h * w * c);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(image.height - 1, Math.floor(y * image.height / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(image.width - 1, Math.floor(x * image.width / w));
      const px = image.rgb.subarray((sy * image.width + sx) * 3, (sy * image.width + sx) * 3 + 3);
      for (let ch = 0; ch < c; ch++) {
        const v = c === 1 ? (px[0] + px[1] + px[2]) / 3 : px[ch];
        const index = layout === 'nchw' ? (ch * h + y) * w + x : (y * w + x) * c + ch;
        out[index] = (v - 127) / 128;
      }
    }
  }
  return out;
}

// Seeded uniform values in [-1, 1) (32-bit xorshift).
function randomTensor(count, seed) {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

function tensorBytes(name, dims, data) {
  const nameBytes = Buffer.from(name, 'utf8');
  const head = Buffer.alloc(8 + nameBytes.length + 8 * dims.length);
  head.writeUInt32LE(nameBytes.length, 0);
  nameBytes.copy(head, 4);
  head.writeUInt32LE(dims.length, 4 + nameBytes.length);
  dims.forEach((d, i) => head.writeBigInt64LE(BigInt(d), 8 + nameBytes.length + 8 * i));
  return Buffer.concat([head, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

function listBytes(entries) {
  const count = Buffer.alloc(4);
  count.writeUInt32LE(entries.length, 0);
  return Buffer.concat([count, ...entries.map((e) => tensorBytes(e.name, e.dims, e.data))]);
}

async function main() {
  const [modelsDir, imagePath, outDir] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: generate.js MODELS_DIR IMAGE_PNG OUT_DIR');
    process.exit(2);
  }
  fs.mkdirSync(outDir, {recursive: true});
  const image = decodePng(fs.readFileSync(imagePath));
  const options = {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    logSeverityLevel: 3,
    extra: {session: {set_denormal_as_zero: '1'}},
  };
  for (const [file, layout] of MODELS) {
    const session = await ort.InferenceSession.create(path.join(modelsDir, file), options);
    const meta = session.inputMetadata[0];
    const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const count = dims.reduce((a, b) => a * b, 1);
    const stem = path.basename(file, '.onnx');
    const cases = {random: randomTensor(count, 12345), face: faceTensor(image, dims, layout)};
    for (const [kind, data] of Object.entries(cases)) {
      const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, dims)};
      const results = await session.run(feeds);
      const outputs = session.outputNames.map((name) => ({
        name, dims: results[name].dims, data: results[name].data,
      }));
      const bytes = Buffer.concat([
        Buffer.from('HFGOLD1\0', 'ascii'),
        listBytes([{name: session.inputNames[0], dims, data}]),
        listBytes(outputs),
      ]);
      fs.writeFileSync(path.join(outDir, stem + '_' + kind + '.bin'), bytes);
    }
    console.log('golden: ' + stem + ' (' + session.outputNames.length + ' outputs)');
  }
}

main().catch((error) => {
  console.error('golden generation failed: ' + error.message);
  process.exit(1);
});

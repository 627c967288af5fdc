// Usage: tsx scripts/link.ts <input.o> <output.so>
import { readFileSync, writeFileSync } from 'node:fs';
import { linkSbpfV0 } from '../src/linker/link.js';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: tsx scripts/link.ts <input.o> <output.so>');
  process.exit(2);
}
const r = linkSbpfV0(readFileSync(input));
writeFileSync(output, r.elf);
console.log(`linked ${output}: ${r.elf.length} bytes (text ${r.textSize}, rodata ${r.rodataSize}), syscalls: ${r.syscalls.join(', ')}`);

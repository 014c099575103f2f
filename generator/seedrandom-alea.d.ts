// seedrandom's Alea generator on its own: importing the package root would bundle all seven of its
// generators into the EC2 user-data, where size is capped. @types/seedrandom types only the root.
declare module 'seedrandom/lib/alea' {
  import type { PRNG } from 'seedrandom';

  function alea(seed?: string): PRNG;
  export = alea;
}

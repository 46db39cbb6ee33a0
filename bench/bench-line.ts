/** One measured figure of `npm run bench`, printed with the aim it is held to. */
export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  aim: string;
  met: boolean;
}

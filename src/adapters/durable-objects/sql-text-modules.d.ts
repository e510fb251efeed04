/** A `.sql` file imported by a Worker: its text (wrangler.toml's `[[rules]] type = "Text"`). */
declare module '*.sql' {
  const text: string;
  export default text;
}

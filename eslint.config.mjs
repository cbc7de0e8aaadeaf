import js from "@eslint/js";
import security from "eslint-plugin-security";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // dist/ is what `npm run build` compiles from the linted sources.
  { ignores: ["node_modules/", "policies/node_modules/", ".pulumi-state/", "dist/", ".stryker-tmp*/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      "no-console": "off",
    },
  },
  // SAST: the build stage fails on a security finding, so every recommended rule is an error
  // (the preset only warns, and warnings do not fail `npm run lint`). A finding is fixed, or
  // disabled on its line with the reason it is safe.
  security.configs.recommended,
  {
    rules: {
      ...Object.fromEntries(Object.keys(security.configs.recommended.rules).map((rule) => [rule, "error"])),
      // Flags every `object[variable]` (70 hits here, all array indexes, typed keys or keys of
      // schema-validated maps whose names must start with a letter, so never `__proto__`);
      // at that rate it would bury the findings that matter. Prototype pollution is kept out
      // by the envs/ schemas instead.
      "security/detect-object-injection": "off",
    },
  },
  {
    // Tests read and write fixtures they create themselves, and match their own output:
    // a path or pattern there never comes from an untrusted caller, and a backtracking
    // regex can only slow a test down.
    files: ["test/**/*.ts"],
    rules: {
      "security/detect-non-literal-fs-filename": "off",
      "security/detect-non-literal-regexp": "off",
      "security/detect-unsafe-regex": "off",
    },
  },
  {
    // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
  {
    // CommonJS entry points and build scripts that run as they are, without compilation.
    files: ["cli/bin.js", "scripts/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

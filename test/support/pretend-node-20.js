// Preloaded (`node -r`) into a dcp process to make it believe it runs on Node.js 20, the
// release before engines.node, without needing that Node on the machine.
Object.defineProperty(process.versions, "node", { value: "20.19.0" });

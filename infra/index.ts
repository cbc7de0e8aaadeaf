import { declareStack } from "./program";
import { readStackConfig } from "./read-stack-config";

// Pulumi's entry point: the stack outputs are what this function returns.
export = async () => declareStack(readStackConfig());

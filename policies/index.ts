import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT, PACK_NAME, POLICIES } from "./pack";

new PolicyPack(PACK_NAME, { policies: POLICIES, enforcementLevel: PACK_ENFORCEMENT });

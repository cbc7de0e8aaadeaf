// The AppConfig emulator: control plane and Data API, both restJson1, behind one entry
// point. Both sign as `appconfig` (the appconfigdata model's signingName), so one router
// serves both; their paths do not overlap.
import { addApplicationRoutes } from "./applications-routes";
import { AlarmWatcher } from "./alarms";
import type { Context } from "./context";
import { addDataRoutes } from "./data-routes";
import { addDeploymentRoutes } from "./deployments-routes";
import { AwsError } from "./errors";
import { errorResponse, Router, type ApiRequest, type ApiResponse } from "./http";
import { Lifecycle } from "./lifecycle";
import { addProfileRoutes } from "./profiles-routes";
import { Regions } from "./regions";
import { addStrategyRoutes } from "./strategies-routes";
import { addTagRoutes } from "./tags-routes";

export interface EmulatorOptions {
  readonly minuteMs: number;
  // Where CloudWatch answers DescribeAlarms for environment monitors.
  readonly cloudWatchEndpoint: string;
}

export class AppConfigEmulator {
  private readonly ctx: Context;
  private readonly router = new Router();
  private readonly alarms: AlarmWatcher;

  constructor(options: EmulatorOptions) {
    this.ctx = { regions: new Regions(), lifecycle: new Lifecycle(options.minuteMs), now: () => Date.now() };
    addApplicationRoutes(this.router, this.ctx);
    addProfileRoutes(this.router, this.ctx);
    addStrategyRoutes(this.router, this.ctx);
    addDeploymentRoutes(this.router, this.ctx);
    addTagRoutes(this.router, this.ctx);
    addDataRoutes(this.router, this.ctx);
    // A quarter of an emulated minute, so an alarm is seen well within one minute of
    // deployment time, but no busier than 20 polls a second nor lazier than one a second.
    this.alarms = new AlarmWatcher(this.ctx, options.cloudWatchEndpoint, Math.min(1000, Math.max(50, options.minuteMs / 4)));
    this.alarms.start();
  }

  async handle(request: ApiRequest): Promise<ApiResponse> {
    try {
      return await this.router.dispatch(request);
    } catch (error) {
      if (error instanceof AwsError) return errorResponse(error);
      return errorResponse(new AwsError("InternalServerException", 500, (error as Error).message));
    }
  }

  stop(): void {
    this.alarms.stop();
  }
}

import { Injectable } from '@nestjs/common';
import { IhrClockPlanner, MeasureBusinessTimeInput, PlanIhrClockInput } from '../libs/policy/src/ihr-clock';
import { IhrClock } from '../libs/contracts/src/incident';

/**
 * Clock planning for the incident workflow (local activities): re-plans after a reclassification, measures IHR time.
 */
@Injectable()
export class ClockActivities {
  private readonly planner = new IhrClockPlanner();

  async planIhrClock(input: PlanIhrClockInput): Promise<IhrClock> {
    return this.planner.plan(input);
  }

  async measureBusinessTime(input: MeasureBusinessTimeInput): Promise<number> {
    return this.planner.measure(input);
  }
}

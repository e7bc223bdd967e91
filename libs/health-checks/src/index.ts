// Health checks: contract years, eligibility, the year's input and memo, schedules. The workflow
// bundle imports only year-memo.ts directly (this index pulls in luxon and the Temporal Client).
export * from './health-check-cycle';
export * from './schedules';
export * from './year-memo';

/**
 * The files that register OpenAPI components (`component(...)`), loaded in this order first thing
 * (app.module.ts). The document lists components in the order they were registered; without this file
 * that order followed whichever feature module happened to load a schema file first, so moving an import
 * between modules reordered libs/client/openapi.json. The order is the one the document has always had.
 */
import './shapes';
import '../accounts/account.schemas';
import '../calendars/calendar.schemas';
import '../health/health.schemas';
import '../health-checks/health-check.schemas';
import '../incidents/incident.schemas';
import '../policy/policy.schemas';
import '../reports/report.schemas';

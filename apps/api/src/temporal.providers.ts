// The API's Temporal client token is the shared one (the worker's activities use it too).
export { TEMPORAL_CLIENT, temporalClientProvider } from '../../../libs/settings/src/nest';

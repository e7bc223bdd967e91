import type { CalendarConfig } from './calendar';

const weekdays = (interval: string): CalendarConfig['weekly'] => ({
  mon: [interval],
  tue: [interval],
  wed: [interval],
  thu: [interval],
  fri: [interval],
});

/** The default support centers of DESIGN.md, as calendar configs (test fixtures; the app reads its own config). */
export const CENTERS: Record<'emea' | 'americas' | 'apac', CalendarConfig> = {
  emea: {
    zone: 'Europe/Helsinki',
    weekly: weekdays('08:00-17:00'),
    holidays: {
      country: 'FI',
      extra: [
        { rule: 'friday after 06-19', name: 'Midsummer Eve' },
        { rule: '12-24', name: 'Christmas Eve' },
      ],
    },
  },
  americas: { zone: 'America/New_York', weekly: weekdays('08:00-18:00'), holidays: { country: 'US' } },
  apac: { zone: 'Asia/Tokyo', weekly: weekdays('09:00-18:00'), holidays: { country: 'JP' } },
};

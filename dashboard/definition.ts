import { DEVICE_TYPE_NAMES, EVENT_TYPE_NAMES } from '../model/events';
import type { DashboardDefinition } from './schema';

/**
 * The clickstream dashboard, written once. `pulumi up` renders it as a QuickSight analysis and
 * dashboard; `npm run dashboard` renders it as a local page over the local lake. Every dataset is a
 * named query of the catalogue, so each number on either rendering is a named query's result for
 * the chosen filters.
 */
export const DASHBOARD: DashboardDefinition = {
  id: 'clickstream-overview',
  title: 'Clickstream overview',
  datasets: [
    { id: 'activity_summary', query: 'activity_summary' },
    { id: 'conversion_funnel', query: 'conversion_funnel' },
    // Every country of a continent, not only its busiest few: the map shades them all.
    { id: 'most_active_regions', query: 'most_active_regions', fixedParameters: { countries_per_continent: '1000' } },
    { id: 'daily_activity', query: 'daily_activity' },
    { id: 'popular_actions', query: 'popular_actions' },
    { id: 'user_age_breakdown', query: 'user_age_breakdown' },
    { id: 'device_mix', query: 'device_mix' },
  ],
  filters: [
    // Two weeks: the trend line shows both weekly cycles, and a view reads 14 days' partitions.
    { kind: 'date_range', id: 'event_dates', label: 'Event dates (UTC)', startParameter: 'start_date', endParameter: 'end_date', defaultLastDays: 14 },
    { kind: 'choice', id: 'continent', label: 'Continent', parameter: 'continent', source: 'continents', allValue: 'all', allLabel: 'All continents' },
    {
      kind: 'choice',
      id: 'country',
      label: 'Country',
      parameter: 'country',
      source: 'countries',
      allValue: 'all',
      allLabel: 'All countries',
      narrowedBy: 'continent',
    },
  ],
  visuals: [
    {
      kind: 'kpi',
      id: 'kpi_events',
      title: 'Events',
      subtitle: 'Events loaded by the ETL',
      dataset: 'activity_summary',
      value: { column: 'events', aggregation: 'sum', label: 'Events', format: 'count' },
    },
    {
      kind: 'kpi',
      id: 'kpi_users',
      title: 'Users',
      subtitle: 'Distinct visitors',
      dataset: 'activity_summary',
      value: { column: 'users', aggregation: 'sum', label: 'Users', format: 'count' },
    },
    {
      kind: 'kpi',
      id: 'kpi_sessions',
      title: 'Sessions',
      subtitle: 'Distinct visits',
      dataset: 'activity_summary',
      value: { column: 'sessions', aggregation: 'sum', label: 'Sessions', format: 'count' },
    },
    {
      kind: 'kpi',
      id: 'kpi_average_age',
      title: 'Average age',
      subtitle: 'Of the users, in years',
      dataset: 'activity_summary',
      value: { column: 'average_user_age', aggregation: 'max', label: 'Average age', format: 'decimal' },
    },
    {
      kind: 'kpi',
      id: 'kpi_purchasers',
      title: 'Purchasers',
      subtitle: 'Users who went through the whole funnel',
      dataset: 'conversion_funnel',
      rows: { column: 'step', equals: 'purchase' },
      value: { column: 'users', aggregation: 'sum', label: 'Purchasers', format: 'count' },
    },
    {
      kind: 'kpi',
      id: 'kpi_conversion',
      title: 'Overall conversion',
      subtitle: 'Product viewers who purchased',
      dataset: 'conversion_funnel',
      rows: { column: 'step', equals: 'purchase' },
      value: { column: 'conversion_from_first_pct', aggregation: 'max', label: 'Overall conversion', format: 'percent' },
    },
    {
      kind: 'filled_map',
      id: 'map_events_by_country',
      title: 'Events by country',
      subtitle: 'Darker countries send more events',
      dataset: 'most_active_regions',
      country: { column: 'country_iso2', label: 'Country' },
      value: { column: 'events', aggregation: 'sum', label: 'Events', format: 'count' },
    },
    {
      kind: 'funnel',
      id: 'funnel_conversion',
      title: 'Conversion funnel',
      subtitle: 'Users reaching each step, and every step before it',
      dataset: 'conversion_funnel',
      stage: { column: 'step', label: 'Step', displayNames: EVENT_TYPE_NAMES },
      value: { column: 'users', aggregation: 'sum', label: 'Users', format: 'count' },
      order: { column: 'step_number', direction: 'ascending' },
    },
    {
      kind: 'line',
      id: 'line_daily_activity',
      title: 'Activity over time',
      subtitle: 'Events, active users and sessions per day (UTC)',
      dataset: 'daily_activity',
      date: { column: 'event_date', label: 'Date' },
      values: [
        { column: 'events', aggregation: 'sum', label: 'Events', format: 'count' },
        { column: 'active_users', aggregation: 'sum', label: 'Active users', format: 'count' },
        { column: 'sessions', aggregation: 'sum', label: 'Sessions', format: 'count' },
      ],
    },
    {
      kind: 'bar',
      id: 'bar_popular_actions',
      title: 'Popular actions',
      subtitle: 'Events by type, most frequent first',
      dataset: 'popular_actions',
      category: { column: 'event_type', label: 'Event type', displayNames: EVENT_TYPE_NAMES },
      value: { column: 'events', aggregation: 'sum', label: 'Events', format: 'count' },
      order: { column: 'events', direction: 'descending' },
      orientation: 'horizontal',
    },
    {
      kind: 'bar',
      id: 'bar_age_distribution',
      title: 'Age distribution',
      subtitle: 'Users by age bracket',
      dataset: 'user_age_breakdown',
      category: { column: 'age_bucket', label: 'Age' },
      value: { column: 'users', aggregation: 'sum', label: 'Users', format: 'count' },
      order: { column: 'age_bucket', direction: 'ascending' },
      orientation: 'vertical',
    },
    {
      kind: 'donut',
      id: 'donut_device_mix',
      title: 'Device mix',
      subtitle: 'Share of events by device type',
      dataset: 'device_mix',
      rows: { column: 'dimension', equals: 'device_type' },
      category: { column: 'label', label: 'Device', displayNames: DEVICE_TYPE_NAMES },
      value: { column: 'events', aggregation: 'sum', label: 'Events', format: 'count' },
    },
  ],
  sheets: [
    {
      id: 'overview',
      title: 'Overview',
      rows: [
        {
          height: 5,
          cells: [
            { visual: 'kpi_events', width: 2 },
            { visual: 'kpi_users', width: 2 },
            { visual: 'kpi_sessions', width: 2 },
            { visual: 'kpi_average_age', width: 2 },
            { visual: 'kpi_purchasers', width: 2 },
            { visual: 'kpi_conversion', width: 2 },
          ],
        },
        {
          height: 14,
          cells: [
            { visual: 'map_events_by_country', width: 7 },
            { visual: 'funnel_conversion', width: 5 },
          ],
        },
        { height: 10, cells: [{ visual: 'line_daily_activity', width: 12 }] },
        {
          height: 11,
          cells: [
            { visual: 'bar_popular_actions', width: 4 },
            { visual: 'bar_age_distribution', width: 4 },
            { visual: 'donut_device_mix', width: 4 },
          ],
        },
      ],
    },
  ],
};

/**
 * ECharts options for each kind of visual of the definition. Only the chart types and components the
 * dashboard uses are bundled (echarts/core), which keeps the page's script small.
 */
import { BarChart, FunnelChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { SeriesData } from '../api-types';
import type { Visual } from '../schema';
import { visualFields } from '../schema';
import { formatValue } from './format';

echarts.use([BarChart, FunnelChart, LineChart, MapChart, PieChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };
export const WORLD_MAP = 'world';
export const PALETTE = ['#2f6f9f', '#e07b39', '#5a9e4b', '#b5485d', '#7d62a8', '#c9a227', '#4aa3a2', '#8c6d4f'];

type Option = echarts.EChartsCoreOption;

interface TooltipItem {
  readonly name: string;
  readonly value: unknown;
  readonly seriesName?: string;
  readonly data?: unknown;
}

export interface MapLookup {
  /** Country alpha-2 → the world map's region name (its ISO numeric code). */
  readonly regionOf: Readonly<Record<string, string>>;
  /** Region name → the country's display name. */
  readonly labelOf: Readonly<Record<string, string>>;
}

function measureFormat(visual: Visual, index = 0) {
  return visualFields(visual).measures[index].format;
}

function itemValue(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/** No transitions: a filter change redraws at once, and the CPU goes to the next query. */
export function chartOption(visual: Visual, data: SeriesData, map: MapLookup): Option {
  return { animation: false, ...kindOption(visual, data, map) };
}

function kindOption(visual: Visual, data: SeriesData, map: MapLookup): Option {
  const values = data.series[0]?.values ?? [];
  switch (visual.kind) {
    case 'filled_map': {
      const points = data.categories
        .map((code, index) => ({ name: map.regionOf[code], value: values[index], code }))
        .filter((point) => point.name !== undefined && point.value !== null);
      const max = Math.max(1, ...points.map((point) => point.value ?? 0));
      return {
        tooltip: {
          trigger: 'item',
          formatter: (item: TooltipItem) => `${map.labelOf[item.name] ?? item.name}: ${formatValue(itemValue(item.value), measureFormat(visual))}`,
        },
        visualMap: {
          min: 0,
          max,
          left: 8,
          bottom: 8,
          calculable: true,
          text: ['more', 'fewer'],
          formatter: (value: number) => formatValue(value, measureFormat(visual)),
          inRange: { color: ['#dbe9f6', '#08306b'] },
        },
        series: [
          {
            type: 'map',
            map: WORLD_MAP,
            roam: true,
            name: visual.value.label,
            data: points,
            emphasis: { label: { show: false } },
          },
        ],
      };
    }
    case 'funnel':
      return {
        color: PALETTE,
        tooltip: { trigger: 'item', formatter: (item: TooltipItem) => `${item.name}: ${formatValue(itemValue(item.value), measureFormat(visual))}` },
        series: [
          {
            type: 'funnel',
            name: visual.value.label,
            sort: 'none',
            top: 10,
            bottom: 10,
            label: {
              show: true,
              position: 'inside',
              lineHeight: 16,
              formatter: (item: TooltipItem) => `${item.name}\n${formatValue(itemValue(item.value), measureFormat(visual))}`,
            },
            data: data.categories.map((category, index) => ({ name: category, value: values[index] })),
          },
        ],
      };
    case 'line':
      return {
        color: PALETTE,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 56, right: 16, top: 32, bottom: 28 },
        xAxis: { type: 'category', data: data.categories },
        yAxis: { type: 'value' },
        series: data.series.map((series) => ({ type: 'line', name: series.label, data: series.values, showSymbol: data.categories.length < 60 })),
      };
    case 'bar': {
      const horizontal = visual.orientation === 'horizontal';
      const categoryAxis = { type: 'category', data: data.categories, inverse: horizontal };
      return {
        color: PALETTE,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        grid: { left: horizontal ? 110 : 48, right: 24, top: 12, bottom: 28 },
        xAxis: horizontal ? { type: 'value' } : categoryAxis,
        yAxis: horizontal ? categoryAxis : { type: 'value' },
        series: [{ type: 'bar', name: visual.value.label, data: values, barMaxWidth: 36 }],
      };
    }
    case 'donut':
      return {
        color: PALETTE,
        tooltip: { trigger: 'item', formatter: (item: TooltipItem & { percent?: number }) => `${item.name}: ${formatValue(itemValue(item.value), measureFormat(visual))} (${item.percent ?? 0} %)` },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            name: visual.value.label,
            radius: ['45%', '72%'],
            center: ['50%', '45%'],
            label: { formatter: '{b}\n{d} %', lineHeight: 16 },
            data: data.categories.map((category, index) => ({ name: category, value: values[index] })),
          },
        ],
      };
    case 'kpi':
      throw new Error(`visual ${visual.id} is a KPI tile, not a chart`);
  }
}

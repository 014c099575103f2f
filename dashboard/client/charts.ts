/**
 * ECharts options for each kind of visual of the definition. Only the chart types and components the
 * dashboard uses are bundled (echarts/core), which keeps the page's script small. Charts draw as SVG,
 * so each label is an element of the page whose box can be measured (the page tests check that no
 * label overlaps another or leaves its card).
 */
import { BarChart, FunnelChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { SeriesData } from '../api-types';
import type { Dimension, Visual } from '../schema';
import { displayName, visualFields } from '../schema';
import { formatAxisDay, formatAxisValue, formatValue } from './format';

echarts.use([BarChart, FunnelChart, LineChart, MapChart, PieChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export { echarts };
export const WORLD_MAP = 'world';
export const PALETTE = ['#2f6f9f', '#e07b39', '#5a9e4b', '#b5485d', '#7d62a8', '#c9a227', '#4aa3a2', '#8c6d4f'];
const INK = '#1d2733';

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

/** The categories as a reader sees them: the model's display names (`Product view`). */
function categoryNames(dimension: Dimension, data: SeriesData): string[] {
  return data.categories.map((category) => displayName(dimension, category));
}

/** A value axis whose labels never run together: compact numbers, few ticks, overlaps hidden. */
const VALUE_AXIS = { type: 'value', splitNumber: 3, axisLabel: { formatter: formatAxisValue, hideOverlap: true } } as const;

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
    case 'funnel': {
      // The shape on the left, each step's name and value beside it in ink: a narrow last step (few
      // purchasers) cannot hold its label, and a label on the step's own colour may not be legible.
      const first = Math.max(1, ...values.map((value) => value ?? 0));
      return {
        color: PALETTE,
        tooltip: { trigger: 'item', formatter: (item: TooltipItem) => `${item.name}: ${formatValue(itemValue(item.value), measureFormat(visual))}` },
        series: [
          {
            type: 'funnel',
            name: visual.value.label,
            sort: 'none',
            min: 0,
            max: first,
            minSize: '0%',
            left: 8,
            width: '55%',
            top: 10,
            bottom: 10,
            gap: 2,
            label: {
              show: true,
              position: 'right',
              color: INK,
              lineHeight: 16,
              formatter: (item: TooltipItem) => `${item.name}\n${formatValue(itemValue(item.value), measureFormat(visual))}`,
            },
            labelLine: { show: true, length: 20 },
            data: categoryNames(visual.stage, data).map((name, index) => ({ name, value: values[index] })),
          },
        ],
      };
    }
    case 'line':
      return {
        color: PALETTE,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        xAxis: { type: 'category', data: data.categories, axisLabel: { hideOverlap: true, formatter: formatAxisDay } },
        yAxis: VALUE_AXIS,
        series: data.series.map((series) => ({ type: 'line', name: series.label, data: series.values, showSymbol: data.categories.length < 60 })),
      };
    case 'bar': {
      const horizontal = visual.orientation === 'horizontal';
      const categoryAxis = { type: 'category', data: categoryNames(visual.category, data), inverse: horizontal, axisLabel: { hideOverlap: true } };
      return {
        color: PALETTE,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        // The grid holds the axis labels, however long the names: none is cut or leaves the card.
        grid: { left: 8, right: 24, top: 12, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
        xAxis: horizontal ? VALUE_AXIS : categoryAxis,
        yAxis: horizontal ? categoryAxis : VALUE_AXIS,
        series: [{ type: 'bar', name: visual.value.label, data: values, barMaxWidth: 36 }],
      };
    }
    case 'donut': {
      const slices = categoryNames(visual.category, data).map((name, index) => ({ name, value: values[index] }));
      const total = slices.reduce((sum, slice) => sum + (slice.value ?? 0), 0);
      const share = (name: string) => {
        const value = slices.find((slice) => slice.name === name)?.value ?? 0;
        return total === 0 ? '' : formatValue((100 * value) / total, 'percent');
      };
      return {
        color: PALETTE,
        tooltip: { trigger: 'item', formatter: (item: TooltipItem & { percent?: number }) => `${item.name}: ${formatValue(itemValue(item.value), measureFormat(visual))} (${item.percent ?? 0} %)` },
        // The legend names each slice and its share, so no label has to find room around the ring.
        legend: { orient: 'vertical', right: 0, top: 'middle', formatter: (name: string) => `${name}  ${share(name)}` },
        series: [
          {
            type: 'pie',
            name: visual.value.label,
            radius: ['45%', '75%'],
            center: ['32%', '50%'],
            label: { show: false },
            data: slices,
          },
        ],
      };
    }
    case 'kpi':
      throw new Error(`visual ${visual.id} is a KPI tile, not a chart`);
  }
}

// A React wrapper for one ECharts chart: created on mount, options replaced on change, resized with its
// box, disposed on unmount. Only the chart types and components the app draws are registered, which
// keeps the bundle smaller than importing all of ECharts. Charts draw their text in the app's font stack;
// a canvas, unlike page text, does not make the browser fetch the bundled Chinese font's subsets, so the
// chart asks for those its labels need and draws once they are in (else Chinese shows as boxes).
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { FONT_FAMILY } from '../i18n.tsx';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

/** The bundled font that draws Chinese (web/src/main.tsx loads it; FONT_FAMILY names it). */
const CHINESE_FONT = '"Noto Sans SC"';

export type ChartOption = echarts.EChartsCoreOption;

export function EChart({ option, height = 300, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!box.current) return undefined;
    const instance = echarts.init(box.current);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return undefined;
    const draw = () => instance.setOption({ textStyle: { fontFamily: FONT_FAMILY }, ...option }, { notMerge: true });
    const font = `12px ${CHINESE_FONT}`;
    const text = JSON.stringify(option) ?? '';
    if (document.fonts.check(font, text)) {
      draw();
      return undefined;
    }
    // Drawn only once the font is in: ECharts keeps the widths it measured, so a first drawing in a
    // fallback font would leave the legend laid out for the wrong widths.
    let current = true;
    const drawIfShown = () => {
      if (current && !instance.isDisposed()) draw();
    };
    document.fonts.load(font, text).then(drawIfShown, drawIfShown);
    return () => {
      current = false;
    };
  }, [option]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} />;
}

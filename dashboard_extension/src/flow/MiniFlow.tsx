// A preset's flow in miniature (plain SVG, left to right): the gallery draws fourteen at once.
import { useIntl } from "react-intl";

import { labelOf, stepTypeLabels } from "../i18n/labels";
import { edgesOf, type FlowStep, layout, NODE_WIDTH } from "./graph";

export const STEP_COLOURS: Record<string, string> = {
  SEND: "#2f6fed",
  WAIT: "#8a8f98",
  BRANCH: "#b16cea",
  SPLIT: "#e0803b",
  VOUCHER: "#1f9d6b",
  UPDATE_CONTACT: "#5a67d8",
  WEBHOOK: "#4a5568",
  GOAL: "#1f9d6b",
  EXIT: "#c53030",
  MOVE: "#4a5568",
};

const STEP_X = 34;
const ARM_Y = 26;
const SIZE = 18;
const COLUMN = NODE_WIDTH + 40;

export function MiniFlow({ steps, entryKey }: { steps: FlowStep[]; entryKey: string }) {
  const intl = useIntl();
  const placed = layout(steps, entryKey);
  if (placed.length === 0) return null;
  const lanes = placed.map((place) => place.x / COLUMN);
  const minLane = Math.min(...lanes);
  const point = new Map(
    placed.map((place) => [place.key, { x: place.depth * STEP_X, y: (place.x / COLUMN - minLane) * ARM_Y }]),
  );
  const width = Math.max(...[...point.values()].map((p) => p.x)) + SIZE;
  const height = Math.max(...[...point.values()].map((p) => p.y)) + SIZE;
  const typeOf = new Map(steps.map((step) => [step.key, step.type]));
  const summary = steps.map((step) => labelOf(intl, stepTypeLabels, step.type)).join(" → ");
  return (
    <svg width={width + 4} height={height + 4} viewBox={`-2 -2 ${width + 4} ${height + 4}`} role="img" aria-label={summary}>
      {edgesOf(steps).map((edge, index) => {
        const from = point.get(edge.source)!;
        const to = point.get(edge.target)!;
        return (
          <path
            key={index}
            d={`M${from.x + SIZE / 2},${from.y + SIZE / 2} L${to.x + SIZE / 2},${to.y + SIZE / 2}`}
            stroke="#c3c7ce"
            strokeWidth={2}
            fill="none"
          />
        );
      })}
      {placed.map((place) => {
        const type = typeOf.get(place.key) ?? "";
        const at = point.get(place.key)!;
        return (
          <rect key={place.key} x={at.x} y={at.y} width={SIZE} height={SIZE} rx={5} fill={STEP_COLOURS[type] ?? "#8a8f98"}>
            <title>{labelOf(intl, stepTypeLabels, type)}</title>
          </rect>
        );
      })}
    </svg>
  );
}

/** What the colours of the miniature mean. */
export function MiniFlowLegend({ types }: { types: string[] }) {
  const intl = useIntl();
  return (
    <ul className="mini-legend">
      {types.map((type) => (
        <li key={type}>
          <span style={{ background: STEP_COLOURS[type] ?? "#8a8f98" }} aria-hidden />
          {labelOf(intl, stepTypeLabels, type)}
        </li>
      ))}
    </ul>
  );
}

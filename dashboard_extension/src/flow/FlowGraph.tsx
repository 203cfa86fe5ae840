// The flow drawn as a graph (React Flow): click a step to edit it. Read-only in the preset
// gallery; the editor passes ``onSelect``.
import "@xyflow/react/dist/style.css";

import { Box, Text } from "@saleor/macaw-ui";
import {
  Background,
  Controls,
  type Edge,
  type FitViewOptions,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
  type ReactFlowInstance,
} from "@xyflow/react";
import { useEffect, useMemo, useRef } from "react";
import { useIntl } from "react-intl";

import { labelOf, stepTypeLabels } from "../i18n/labels";
import { describeStep } from "./describeStep";
import { edgesOf, type FlowStep, layout, NODE_HEIGHT, NODE_WIDTH } from "./graph";
import { STEP_COLOURS } from "./MiniFlow";

type StepNodeData = {
  step: FlowStep;
  title: string;
  summary: string;
  entry: boolean;
  sent?: number;
  selected: boolean;
};


function StepNode({ data }: NodeProps<Node<StepNodeData>>) {
  const intl = useIntl();
  return (
    <Box
      __width={`${NODE_WIDTH}px`}
      __height={`${NODE_HEIGHT}px`}
      backgroundColor="default1"
      borderWidth={1}
      borderStyle="solid"
      borderColor={data.selected ? "accent1" : "default1"}
      borderRadius={4}
      boxShadow={data.selected ? "defaultFocused" : "none"}
      display="flex"
      overflow="hidden"
      data-step={data.step.key}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <Box __width="6px" __backgroundColor={STEP_COLOURS[data.step.type] ?? "#8a8f98"} />
      <Box padding={3} display="flex" flexDirection="column" gap={0.5} __minWidth="0" __flex="1">
        <Box display="flex" justifyContent="space-between" gap={2} __minWidth="0">
          <Text size={1} color="default2" textTransform="uppercase" fontWeight="medium" ellipsis>
            {labelOf(intl, stepTypeLabels, data.step.type)}
            {data.entry ? ` · ${intl.formatMessage({ id: "flow.start", defaultMessage: "start" })}` : ""}
          </Text>
          {data.sent !== undefined && (
            <Text size={1} color="default2" whiteSpace="nowrap" __flex="none">
              {intl.formatMessage(
                { id: "flow.sent", defaultMessage: "{count, number} sent" },
                { count: data.sent },
              )}
            </Text>
          )}
        </Box>
        <Text size={3} fontWeight="bold" ellipsis>
          {data.title}
        </Text>
        <Text size={2} color="default2" ellipsis>
          {data.summary || "\u00a0"}
        </Text>
      </Box>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </Box>
  );
}

const nodeTypes = { step: StepNode };
/** Room around the flow inside the canvas (px), and the tallest canvas drawn. */
const FRAME = 120;
const MAX_HEIGHT = 960;
const MIN_HEIGHT = 240;
/** Room around the fitted flow; on the left it clears the zoom buttons drawn over it. */
const FIT: FitViewOptions<Node<StepNodeData>> = {
  padding: { top: "24px", right: "24px", bottom: "24px", left: "60px" },
  maxZoom: 1,
};

export interface FlowGraphProps {
  steps: FlowStep[];
  entryKey: string;
  selected?: string | null;
  onSelect?: (key: string) => void;
  sent?: Record<string, number>;
  /** The least height of the canvas (px); a deeper flow gets more, up to MAX_HEIGHT. */
  height?: number;
  label: string;
}

export default function FlowGraph({ steps, entryKey, selected, onSelect, sent, height = 560, label }: FlowGraphProps) {
  const intl = useIntl();
  const { nodes, edges, depth, breadth } = useMemo(() => {
    const placed = layout(steps, entryKey);
    const positions = new Map(placed.map((place) => [place.key, place]));
    const depth = Math.max(0, ...placed.map((place) => place.y)) + NODE_HEIGHT;
    const xs = placed.map((place) => place.x);
    const breadth = Math.max(0, ...xs) - Math.min(0, ...xs) + NODE_WIDTH;
    const nodes: Node<StepNodeData>[] = steps.map((step) => ({
      id: step.key,
      type: "step",
      position: { x: positions.get(step.key)?.x ?? 0, y: positions.get(step.key)?.y ?? 0 },
      draggable: false,
      connectable: false,
      selectable: Boolean(onSelect),
      ariaLabel: `${labelOf(intl, stepTypeLabels, step.type)}: ${step.name || step.key}`,
      data: {
        step,
        title: step.name || step.key,
        summary: describeStep(intl, step.type, step.config),
        entry: step.key === entryKey,
        sent: sent?.[step.key],
        selected: step.key === selected,
      },
    }));
    const edges: Edge[] = edgesOf(steps).map((edge, index) => ({
      id: `${edge.source}-${edge.target}-${index}`,
      source: edge.source,
      target: edge.target,
      type: "smoothstep",
      markerEnd: { type: MarkerType.ArrowClosed },
      label:
        edge.kind === "then"
          ? intl.formatMessage({ id: "flow.yes", defaultMessage: "yes" })
          : edge.kind === "else"
            ? intl.formatMessage({ id: "flow.no", defaultMessage: "no" })
            : edge.kind === "variant"
              ? `${edge.label} · ${edge.share} %`
              : undefined,
      labelBgPadding: [6, 3] as [number, number],
      labelBgBorderRadius: 4,
    }));
    return { nodes, edges, depth, breadth };
  }, [steps, entryKey, selected, sent, intl, onSelect]);
  // Tall enough to draw a long flow near full size instead of shrinking it unreadably, but
  // no taller than the flow needs at the canvas's width (a phone shows it smaller).
  const tallest = Math.min(Math.max(height, depth + FRAME), MAX_HEIGHT);
  // React Flow fits the view once; the canvas settles its size later (layout, fonts, a
  // rotated phone): fit again whenever it changes.
  const frame = useRef<HTMLDivElement>(null);
  const instance = useRef<ReactFlowInstance<Node<StepNodeData>> | null>(null);
  useEffect(() => {
    const element = frame.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => void instance.current?.fitView(FIT));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <Box
      __aspectRatio={`${breadth + FRAME} / ${depth + FRAME}`}
      __maxHeight={`${tallest}px`}
      __minHeight={`${MIN_HEIGHT}px`}
      width="100%"
      borderRadius={4}
      borderWidth={1}
      borderStyle="solid"
      borderColor="default1"
      backgroundColor="default2"
      overflow="hidden"
      role="group"
      aria-label={label}
    >
      <div ref={frame} style={{ width: "100%", height: "100%" }}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          fitViewOptions={FIT}
          onInit={(flow) => {
            instance.current = flow;
          }}
          minZoom={0.2}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={Boolean(onSelect)}
          onNodeClick={onSelect ? (_, node) => onSelect(node.id) : undefined}
        >
          <Background gap={16} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </Box>
  );
}

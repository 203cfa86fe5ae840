// Coloured labels for statuses and kinds.
import { Box, Text } from "@saleor/macaw-ui";
import { useIntl } from "react-intl";

import type { CampaignStatusEnum } from "../gql/graphql";
import { labelOf, statusLabels } from "../i18n/labels";

export function Pill({
  children,
  tone = "neutral",
}: {
  children: React.ReactNode;
  tone?: "neutral" | "success" | "warning" | "critical" | "info";
}) {
  const colours = {
    neutral: ["default2", "default2"],
    success: ["success1", "success1"],
    warning: ["warning1", "warning1"],
    critical: ["critical1", "critical1"],
    info: ["info1", "info1"],
  } as const;
  const [background, text] = colours[tone];
  return (
    <Box
      as="span"
      display="inline-flex"
      alignItems="center"
      paddingX={2}
      paddingY={0.5}
      borderRadius={3}
      backgroundColor={background}
      whiteSpace="nowrap"
    >
      <Text size={2} fontWeight="medium" color={text}>
        {children}
      </Text>
    </Box>
  );
}

export function StatusChip({ status }: { status: CampaignStatusEnum }) {
  const intl = useIntl();
  const tone = { ACTIVE: "success", PAUSED: "warning", DRAFT: "info", ARCHIVED: "neutral" } as const;
  return <Pill tone={tone[status] ?? "neutral"}>{labelOf(intl, statusLabels, status)}</Pill>;
}

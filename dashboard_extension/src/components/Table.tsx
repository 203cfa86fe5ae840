// macaw-ui has no table; Saleor's own apps wrap Box as="table" the same way.
import { Box } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

export function Table({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <Box overflowX="auto" width="100%">
      <Box as="table" width="100%" borderCollapse="collapse" aria-label={label} className="ma-table">
        {children}
      </Box>
    </Box>
  );
}

export function Th({
  children,
  align = "left",
  width,
}: {
  children?: ReactNode;
  align?: "left" | "right" | "center";
  width?: string;
}) {
  return (
    <Box
      as="th"
      scope="col"
      textAlign={align}
      paddingX={3}
      paddingY={2}
      fontSize={2}
      fontWeight="medium"
      color="default2"
      whiteSpace="nowrap"
      borderBottomWidth={1}
      borderBottomStyle="solid"
      borderColor="default1"
      __width={width}
    >
      {children}
    </Box>
  );
}

export function Td({
  children,
  align = "left",
  nowrap = false,
  colSpan,
}: {
  children?: ReactNode;
  align?: "left" | "right" | "center";
  nowrap?: boolean;
  colSpan?: number;
}) {
  return (
    <Box
      as="td"
      textAlign={align}
      paddingX={3}
      paddingY={3}
      fontSize={3}
      whiteSpace={nowrap ? "nowrap" : undefined}
      borderBottomWidth={1}
      borderBottomStyle="solid"
      borderColor="default1"
      colSpan={colSpan}
      style={{ verticalAlign: "middle" }}
    >
      {children}
    </Box>
  );
}

// The frame of every page: a title row with actions, then the content.
import { Box, Text } from "@saleor/macaw-ui";
import { ArrowLeft } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";

export function Page({
  title,
  subtitle,
  back,
  actions,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  back?: { to: string; label: string };
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Box className="page" display="flex" flexDirection="column" gap={6}>
      <Box
        display="flex"
        flexDirection={{ mobile: "column", desktop: "row" }}
        justifyContent="space-between"
        alignItems={{ mobile: "stretch", desktop: "center" }}
        gap={4}
      >
        <Box display="flex" alignItems="center" gap={3} __minWidth="0">
          {back && (
            <Link to={back.to} aria-label={back.label} className="icon-link">
              <ArrowLeft size={20} aria-hidden />
            </Link>
          )}
          <Box display="flex" flexDirection="column" gap={1} __minWidth="0">
            <Text as="h1" size={9} fontWeight="bold" className="page-title">
              {title}
            </Text>
            {subtitle && (
              <Text size={3} color="default2">
                {subtitle}
              </Text>
            )}
          </Box>
        </Box>
        {actions && (
          <Box display="flex" gap={2} flexWrap="wrap">
            {actions}
          </Box>
        )}
      </Box>
      {children}
    </Box>
  );
}

/** A bordered section with an optional heading. */
export function Card({
  title,
  actions,
  children,
  padding = 5,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  padding?: 0 | 4 | 5;
}) {
  return (
    <Box
      as="section"
      borderWidth={1}
      borderStyle="solid"
      borderColor="default1"
      borderRadius={4}
      backgroundColor="default1"
      display="flex"
      flexDirection="column"
      __minWidth="0"
    >
      {(title || actions) && (
        <Box
          display="flex"
          justifyContent="space-between"
          alignItems="center"
          gap={3}
          paddingX={5}
          paddingTop={4}
          paddingBottom={padding === 0 ? 4 : 0}
        >
          {title && (
            <Text as="h2" size={5} fontWeight="bold">
              {title}
            </Text>
          )}
          {actions}
        </Box>
      )}
      <Box padding={padding} __minWidth="0">
        {children}
      </Box>
    </Box>
  );
}

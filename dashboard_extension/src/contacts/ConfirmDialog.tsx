// A modal question before something that cannot be taken back: macaw-ui's Modal (Radix
// Dialog), titled and described for screen readers, Escape and Cancel close it.
import { Box, Button, Modal, Text } from "@saleor/macaw-ui";
import { type ReactNode, useId } from "react";
import { FormattedMessage } from "react-intl";

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  destructive = false,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: ReactNode;
  destructive?: boolean;
  busy?: boolean;
  error?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const bodyId = useId();
  return (
    <Modal open={open} onChange={(next) => !next && !busy && onCancel()}>
      <Modal.Content dialogContentProps={{ "aria-labelledby": titleId, "aria-describedby": bodyId }}>
        <Box
          position="fixed"
          __left="50%"
          __top="50%"
          __transform="translate(-50%, -50%)"
          __width="min(480px, calc(100vw - 32px))"
          backgroundColor="default1"
          borderRadius={4}
          boxShadow="defaultModal"
          padding={6}
          display="flex"
          flexDirection="column"
          gap={4}
        >
          <Text as="h2" id={titleId} size={7} fontWeight="bold" className="page-title">
            {title}
          </Text>
          <Box id={bodyId} display="flex" flexDirection="column" gap={2}>
            {children}
          </Box>
          {error && (
            <Text size={3} color="critical1" role="alert">
              {error}
            </Text>
          )}
          <Box display="flex" justifyContent="flex-end" gap={2} flexWrap="wrap">
            <Button variant="secondary" disabled={busy} onClick={onCancel}>
              <FormattedMessage id="action.cancel" defaultMessage="Cancel" />
            </Button>
            <Button variant={destructive ? "error" : "primary"} disabled={busy} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </Box>
        </Box>
      </Modal.Content>
    </Modal>
  );
}

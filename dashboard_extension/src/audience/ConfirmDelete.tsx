// "Delete this segment?": macaw-ui's Modal (Radix Dialog), titled and described for screen
// readers; Escape and Cancel close it; a refusal (the segment is in use) is said inside it.
// Topics and score rules pass their own explanation and button text.
import { Box, Button, Modal, Text } from "@saleor/macaw-ui";
import { type ReactNode, useId } from "react";
import { FormattedMessage } from "react-intl";

export function ConfirmDelete({
  name,
  busy,
  error,
  body,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  /** The segment to delete; null closes the dialog. */
  name: string | null;
  busy: boolean;
  error?: string;
  /** What deleting does; a segment's consequences unless given. */
  body?: ReactNode;
  /** The confirming button; "Delete segment" unless given. */
  confirmLabel?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const bodyId = useId();
  return (
    <Modal open={name !== null} onChange={(open) => !open && !busy && onCancel()}>
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
          <Text as="h2" id={titleId} size={7} fontWeight="bold">
            <FormattedMessage id="audience.delete.title" defaultMessage="Delete “{name}”?" values={{ name }} />
          </Text>
          <Text id={bodyId} size={3}>
            {body ?? (
              <FormattedMessage
                id="audience.delete.body"
                defaultMessage="Its stored members are forgotten; the contacts themselves stay. A segment that campaigns or other segments use cannot be deleted."
              />
            )}
          </Text>
          {error && (
            <Text size={3} color="critical1" role="alert">
              {error}
            </Text>
          )}
          <Box display="flex" justifyContent="flex-end" gap={2} flexWrap="wrap">
            <Button variant="secondary" disabled={busy} onClick={onCancel}>
              <FormattedMessage id="action.cancel" defaultMessage="Cancel" />
            </Button>
            <Button variant="error" disabled={busy} onClick={onConfirm}>
              {confirmLabel ?? <FormattedMessage id="audience.delete.confirm" defaultMessage="Delete segment" />}
            </Button>
          </Box>
        </Box>
      </Modal.Content>
    </Modal>
  );
}

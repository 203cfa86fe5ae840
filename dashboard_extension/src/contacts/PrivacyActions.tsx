// The data subject's rights on the profile: a download of everything kept about the person
// (GDPR Art. 15, 20) and erasure (Art. 17), each confirmed in a dialog that names them.
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useQueryClient } from "@tanstack/react-query";
import { Download, Trash2 } from "lucide-react";
import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { useNavigate } from "react-router-dom";

import { ContactEraseMutation, ContactPersonalDataExportMutation } from "../api/contactOperations";
import type { MarketingError } from "../api/errors";
import { useApiMutation } from "../api/hooks";
import { useFormat } from "../components/format";
import type { ContactListState } from "../pages/ContactList";
import { ConfirmDialog } from "./ConfirmDialog";
import { downloadUrl } from "./download";

type Person = { id: string; email: string };

function messageOf(errors: MarketingError[]): string {
  return errors.map((error) => error.message).join(" ");
}

function failure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function PrivacyActions({ contact }: { contact: Person }) {
  const intl = useIntl();
  const format = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const exportData = useApiMutation(ContactPersonalDataExportMutation);
  const erase = useApiMutation(ContactEraseMutation);
  const [dialog, setDialog] = useState<"export" | "erase" | null>(null);
  const [error, setError] = useState<string>();
  const [link, setLink] = useState<{ url: string; expiresAt: string | null } | null>(null);
  const email = contact.email;

  const open = (which: "export" | "erase") => {
    setError(undefined);
    setDialog(which);
  };

  const confirmExport = async () => {
    setError(undefined);
    try {
      const result = (await exportData.mutateAsync({ id: contact.id })).contactPersonalDataExport;
      if (result?.errors.length) return setError(messageOf(result.errors));
      if (!result?.url) return setError(intl.formatMessage({ id: "contacts.export.noLink", defaultMessage: "The server handed out no download link." }));
      downloadUrl(result.url);
      setLink({ url: result.url, expiresAt: result.expiresAt ?? null });
      setDialog(null);
    } catch (caught) {
      setError(failure(caught));
    }
  };

  const confirmErase = async () => {
    setError(undefined);
    try {
      const result = (await erase.mutateAsync({ id: contact.id })).contactErase;
      if (result?.errors.length) return setError(messageOf(result.errors));
      setDialog(null);
      void queryClient.invalidateQueries({ queryKey: ["ContactList"] });
      queryClient.removeQueries({ queryKey: ["ContactPage", contact.id] });
      const state: ContactListState = { erased: email };
      navigate("/contacts", { state });
    } catch (caught) {
      setError(failure(caught));
    }
  };

  return (
    <Box display="flex" flexDirection="column" gap={2} alignItems={{ mobile: "flex-start", desktop: "flex-end" }}>
      <Box display="flex" gap={2} flexWrap="wrap">
        <Button variant="secondary" icon={<Download size={16} />} onClick={() => open("export")}>
          <FormattedMessage id="contacts.privacy.export" defaultMessage="Download personal data" />
        </Button>
        <Button variant="error" icon={<Trash2 size={16} />} onClick={() => open("erase")}>
          <FormattedMessage id="contacts.privacy.erase" defaultMessage="Erase" />
        </Button>
      </Box>
      {link && (
        <Text size={2} color="default2" role="status">
          <FormattedMessage
            id="contacts.export.started"
            defaultMessage="The download has started. If it did not, <link>download the file</link>; the link works until {time}."
            values={{
              time: link.expiresAt ? format.dateTime(link.expiresAt) : "–",
              link: (chunks) => (
                <a href={link.url} className="text-link" download>
                  {chunks}
                </a>
              ),
            }}
          />
        </Text>
      )}

      <ConfirmDialog
        open={dialog === "export"}
        title={<FormattedMessage id="contacts.export.title" defaultMessage="Download the personal data of {email}?" values={{ email }} />}
        confirmLabel={<FormattedMessage id="contacts.export.confirm" defaultMessage="Download" />}
        busy={exportData.isPending}
        error={dialog === "export" ? error : undefined}
        onConfirm={() => void confirmExport()}
        onCancel={() => setDialog(null)}
      >
        <Text size={3}>
          <FormattedMessage
            id="contacts.export.body"
            defaultMessage="One JSON file with everything kept about this person: profile, tags, consents with their proof, events, messages and campaign runs. It is meant for the person themselves; handing it out is logged."
          />
        </Text>
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === "erase"}
        destructive
        title={<FormattedMessage id="contacts.erase.title" defaultMessage="Erase {email}?" values={{ email }} />}
        confirmLabel={<FormattedMessage id="contacts.erase.confirm" defaultMessage="Erase for good" />}
        busy={erase.isPending}
        error={dialog === "erase" ? error : undefined}
        onConfirm={() => void confirmErase()}
        onCancel={() => setDialog(null)}
      >
        <Text size={3}>
          <FormattedMessage
            id="contacts.erase.body"
            defaultMessage="Everything that names {email} is deleted: profile, tags, consents, segment memberships and what events and messages quote of them. Nothing can be sent to them any more. Orders and revenue stay in reports without a name."
            values={{ email }}
          />
        </Text>
        <Text size={3} fontWeight="bold">
          <FormattedMessage id="contacts.erase.final" defaultMessage="This cannot be undone." />
        </Text>
      </ConfirmDialog>
    </Box>
  );
}

// A test of the draft as shown (same contact's data) to an address, now; the subject starts
// with "[Test]" and nothing is recorded. Refusals show at the field they are about.
import { zodResolver } from "@hookform/resolvers/zod";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { FormattedMessage, useIntl } from "react-intl";
import { z } from "zod";

import { errorsAt, type MarketingError } from "../api/errors";
import { useApiMutation } from "../api/hooks";
import { TemplateSendTestMutation } from "../api/templateOperations";
import { Input } from "../components/Input";

const testSchema = z.object({ email: z.string().trim().pipe(z.email()) });
type TestInput = z.input<typeof testSchema>;
type TestValues = z.output<typeof testSchema>;

export function TestSend({
  templateKey,
  language,
  source,
  contactId,
  onSourceError,
}: {
  templateKey: string;
  language: string;
  source: string;
  contactId: string | null;
  /** A refusal of the source itself belongs at the source. */
  onSourceError: (message: string) => void;
}) {
  const intl = useIntl();
  const send = useApiMutation(TemplateSendTestMutation);
  const [errors, setErrors] = useState<MarketingError[]>([]);
  const [sentTo, setSentTo] = useState<string>();
  const form = useForm<TestInput, unknown, TestValues>({ resolver: zodResolver(testSchema), defaultValues: { email: "" } });
  const at = (field: string) => errorsAt(errors, field).map((error) => error.message).join(" ") || undefined;
  const general = errors.filter((error) => !["email", "source"].includes(error.field ?? ""));

  const submit = form.handleSubmit(async ({ email }) => {
    setSentTo(undefined);
    setErrors([]);
    try {
      const result = (
        await send.mutateAsync({ key: templateKey, language, email, source, contactId: contactId ?? undefined })
      ).templateSendTest;
      if (result?.errors.length) {
        setErrors(result.errors);
        const sourceError = errorsAt(result.errors, "source")[0];
        if (sourceError) onSourceError(sourceError.message);
        return;
      }
      setSentTo(email);
    } catch (error) {
      setErrors([{ code: "GRAPHQL_ERROR", message: error instanceof Error ? error.message : String(error) }]);
    }
  });

  return (
    <form
      noValidate
      aria-label={intl.formatMessage({ id: "messages.test.form", defaultMessage: "Send a test" })}
      onSubmit={(event) => void submit(event)}
    >
      <Box display="flex" flexDirection="column" gap={3}>
        <Box display="flex" gap={3} alignItems="flex-start" flexWrap="wrap">
          <Box __flex="1 1 220px">
            <Controller
              control={form.control}
              name="email"
              render={({ field, fieldState }) => (
                <Input
                  {...field}
                  type="email"
                  size="small"
                  autoComplete="email"
                  label={intl.formatMessage({ id: "messages.test.email", defaultMessage: "Send to" })}
                  error={Boolean(fieldState.error || at("email"))}
                  helperText={
                    fieldState.error
                      ? intl.formatMessage({ id: "messages.test.invalid", defaultMessage: "Enter an email address such as you@example.com." })
                      : at("email")
                  }
                />
              )}
            />
          </Box>
          <Button type="submit" variant="secondary" disabled={send.isPending}>
            <FormattedMessage id="messages.test.send" defaultMessage="Send test" />
          </Button>
        </Box>
        {sentTo && (
          <Text size={3} color="success1" role="status">
            <FormattedMessage id="messages.test.sent" defaultMessage="Test sent to {email}." values={{ email: sentTo }} />
          </Text>
        )}
        {at("source") && (
          <Text size={3} color="critical1" role="alert">
            <FormattedMessage id="messages.test.sourceRefused" defaultMessage="Not sent: the source has an error (see above)." />
          </Text>
        )}
        {general.length > 0 && (
          <Box role="alert" display="flex" flexDirection="column" gap={1}>
            {general.map((error) => (
              <Text key={`${error.field}-${error.message}`} size={3} color="critical1">
                {error.message}
              </Text>
            ))}
          </Box>
        )}
      </Box>
    </form>
  );
}

// What a form could not save, below its fields: the server's errors that name none of the
// form's fields in full, or, when every error stands at its field, a pointer to them.
import { Box, Text } from "@saleor/macaw-ui";
import { FormattedMessage } from "react-intl";

import { errorsAt, type MarketingError } from "../api/errors";

export function FormErrors({ errors, fields }: { errors: MarketingError[]; fields: readonly string[] }) {
  if (errors.length === 0) return null;
  const general = errors.filter((error) => !fields.some((field) => errorsAt([error], field).length));
  if (general.length === 0) {
    return (
      <Text size={3} color="critical1" role="alert">
        <FormattedMessage id="form.notSaved" defaultMessage="Not saved: correct what is marked above." />
      </Text>
    );
  }
  return (
    <Box role="alert" display="flex" flexDirection="column" gap={1}>
      {general.map((error) => (
        <Text key={`${error.field}-${error.message}`} size={3} color="critical1">
          {error.message}
        </Text>
      ))}
    </Box>
  );
}

// From a Saleor customer (the Dashboard's "more actions" on a customer) to their marketing profile.
import { FormattedMessage } from "react-intl";
import { Navigate, useSearchParams } from "react-router-dom";

import { isUnknownId } from "../api/errors";
import { useApiQuery } from "../api/hooks";
import { CustomerContactQuery } from "../api/operations";
import { ErrorState, Loading, NotFound } from "../components/states";

export default function CustomerContact() {
  const [params] = useSearchParams();
  const customerId = params.get("customerId") ?? "";
  const contact = useApiQuery(CustomerContactQuery, { customerId }, { enabled: Boolean(customerId) });
  if (!customerId) return <NotFound />;
  if (contact.isPending) return <Loading />;
  if (contact.isError && isUnknownId(contact.error)) return <NotFound />;
  if (contact.isError) return <ErrorState error={contact.error} onRetry={() => void contact.refetch()} />;
  if (!contact.data.customerContact) {
    return (
      <NotFound
        what={
          <FormattedMessage
            id="customer.noContact"
            defaultMessage="This customer has no marketing profile yet: it appears with their first order, sign-up or consent."
          />
        }
      />
    );
  }
  return <Navigate to={`/contacts/${encodeURIComponent(contact.data.customerContact.id)}`} replace />;
}

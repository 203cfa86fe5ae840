// Pages by path. The heavy ones (flow graph, charts) load when first opened, so the campaign
// list, the first page most admins see, starts with the smallest bundle.
import { lazy, Suspense, useMemo } from "react";
import { createBrowserRouter, Outlet, RouterProvider } from "react-router-dom";

import { useSession } from "./auth/Session";
import { Shell } from "./components/Shell";
import { Loading, NotFound } from "./components/states";
import type { Locale } from "./i18n/locales";
import { CampaignList } from "./pages/CampaignList";

const NewCampaign = lazy(() => import("./pages/NewCampaign"));
const CampaignEditor = lazy(() => import("./pages/CampaignEditor"));
const CampaignReport = lazy(() => import("./pages/CampaignReport"));
const ContactList = lazy(() => import("./pages/ContactList"));
const ContactProfile = lazy(() => import("./pages/ContactProfile"));
const SegmentList = lazy(() => import("./pages/SegmentList"));
const SegmentEditor = lazy(() => import("./pages/SegmentEditor"));
const NewsletterTopics = lazy(() => import("./pages/NewsletterTopics"));
const ScoreRules = lazy(() => import("./pages/ScoreRules"));
const CustomerContact = lazy(() => import("./pages/CustomerContact"));
const MessageList = lazy(() => import("./pages/MessageList"));
const MessageEditor = lazy(() => import("./pages/MessageEditor"));
const Settings = lazy(() => import("./pages/Settings"));
const RevenueWidget = lazy(() => import("./widgets/RevenueWidget"));
const OrderWidget = lazy(() => import("./widgets/OrderWidget"));

function Lazy({ children }: { children: React.ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

export function AppRouter({
  locale,
  onLocaleChange,
}: {
  locale: Locale;
  onLocaleChange?: (locale: Locale) => void;
}) {
  const { config } = useSession();
  const router = useMemo(
    () =>
      createBrowserRouter(
        [
          {
            element: (
              <Shell locale={locale} onLocaleChange={onLocaleChange}>
                <Outlet />
              </Shell>
            ),
            children: [
              { index: true, element: <CampaignList /> },
              { path: "campaigns/new/:preset?", element: <Lazy><NewCampaign /></Lazy> },
              { path: "campaigns/:id", element: <Lazy><CampaignEditor /></Lazy> },
              { path: "campaigns/:id/report", element: <Lazy><CampaignReport /></Lazy> },
              { path: "contacts", element: <Lazy><ContactList /></Lazy> },
              { path: "contacts/customer", element: <Lazy><CustomerContact /></Lazy> },
              { path: "contacts/:id", element: <Lazy><ContactProfile /></Lazy> },
              { path: "segments", element: <Lazy><SegmentList /></Lazy> },
              { path: "segments/new", element: <Lazy><SegmentEditor /></Lazy> },
              { path: "segments/:id", element: <Lazy><SegmentEditor /></Lazy> },
              { path: "audience/topics", element: <Lazy><NewsletterTopics /></Lazy> },
              { path: "audience/scoring", element: <Lazy><ScoreRules /></Lazy> },
              { path: "messages", element: <Lazy><MessageList /></Lazy> },
              { path: "messages/:key/:language", element: <Lazy><MessageEditor /></Lazy> },
              { path: "settings", element: <Lazy><Settings /></Lazy> },
              { path: "*", element: <NotFound /> },
            ],
          },
          // Widgets render alone in the Dashboard's small frames: no shell around them.
          { path: "widgets/revenue", element: <Lazy><RevenueWidget /></Lazy> },
          { path: "widgets/order", element: <Lazy><OrderWidget /></Lazy> },
        ],
        { basename: config.basePath.replace(/\/$/, "") },
      ),
    // The router is made once; the language changes inside it through context.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [config.basePath],
  );
  return <RouterProvider router={router} />;
}

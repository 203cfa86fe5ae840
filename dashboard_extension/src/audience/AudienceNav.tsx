// The parts of the audience area: segments, newsletter topics and score rules.
import { useIntl } from "react-intl";
import { NavLink } from "react-router-dom";

export function AudienceNav() {
  const intl = useIntl();
  const parts = [
    { to: "/segments", label: intl.formatMessage({ id: "audience.nav.segments", defaultMessage: "Segments" }) },
    { to: "/audience/topics", label: intl.formatMessage({ id: "audience.nav.topics", defaultMessage: "Newsletter topics" }) },
    { to: "/audience/scoring", label: intl.formatMessage({ id: "audience.nav.scoring", defaultMessage: "Score rules" }) },
  ];
  return (
    <nav className="tabs audience-nav" aria-label={intl.formatMessage({ id: "audience.nav", defaultMessage: "Audience" })}>
      {parts.map((part) => (
        <NavLink key={part.to} to={part.to} end className="tab">
          {part.label}
        </NavLink>
      ))}
    </nav>
  );
}

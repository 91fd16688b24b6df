/**
 * The panel's navigation, in place of AdminJS's SidebarResourceSection. AdminJS draws each group
 * (Accounts, Content, Operations) as a link with no address that opens on a click: a keyboard
 * never reaches it, nor the lists inside it, which stay closed. Here every group is a heading and
 * every list a real link, always shown (six lists need no folding), reached with Tab and opened
 * with Enter, and the one open now is marked for screen readers (aria-current). Navigation itself
 * stays AdminJS's (useNavigationResources: the same labels, the same in-app routing on a click).
 */
import React from 'react';
import { type ResourceJSON, useNavigationResources } from 'adminjs';
import { colors } from '@adminjs/design-system';

type Element = ReturnType<typeof useNavigationResources>[number];

function Item({ element }: { element: Element }) {
  return (
    <li>
      <a
        href={element.href}
        aria-current={element.isSelected ? 'page' : undefined}
        onClick={(event) => element.onClick?.(event, element)}
        style={{
          display: 'block',
          padding: '8px 12px',
          borderRadius: 4,
          color: element.isSelected ? colors.primary100 : colors.grey100,
          fontWeight: element.isSelected ? 600 : 400,
          background: element.isSelected ? colors.grey20 : undefined,
          textDecoration: 'none',
        }}
      >
        {element.label}
      </a>
    </li>
  );
}

export default function SidebarNavigation({ resources }: { resources: ResourceJSON[] }) {
  const elements = useNavigationResources(resources);
  const list = { listStyle: 'none', margin: 0, padding: 0 } as const;
  return (
    <nav aria-label="Navigation" style={{ padding: '0 24px' }} data-css="sidebar-navigation">
      {elements.map((element) =>
        element.elements ? (
          <section key={element.label} style={{ marginBottom: 16 }}>
            <h2
              style={{
                fontSize: 12,
                fontWeight: 600,
                letterSpacing: '0.05em',
                textTransform: 'uppercase',
                color: colors.grey60,
                margin: '8px 12px',
              }}
            >
              {element.label}
            </h2>
            <ul style={list}>
              {element.elements.map((child) => (
                <Item key={child.id ?? child.label} element={child} />
              ))}
            </ul>
          </section>
        ) : (
          <ul key={element.id ?? element.label} style={list}>
            <Item element={element} />
          </ul>
        ),
      )}
    </nav>
  );
}

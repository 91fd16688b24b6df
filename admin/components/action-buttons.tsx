/**
 * What every operator action's page ends with: the button that does it and Cancel, which goes back
 * to where the operator came from without doing anything; and the one button style of the panel's
 * own pages. Imported by the action pages (confirm-action, correct-email, moderate-post, post-edit,
 * suspend-form); not registered as a component of its own.
 */
import React from 'react';
import { Link } from 'react-router-dom';
import { colors } from '@adminjs/design-system';

export const buttonStyle: React.CSSProperties = {
  padding: '8px 20px',
  border: 0,
  borderRadius: 4,
  cursor: 'pointer',
  fontSize: 14,
  lineHeight: '20px',
  textDecoration: 'none',
  display: 'inline-block',
};

export interface ActionButtonsProps {
  /** The button's words: the action as the operator reads it. */
  readonly label: string;
  /** Red for what removes or refuses (delete, suspend, hide). */
  readonly danger?: boolean;
  readonly disabled?: boolean;
  /** Without it the button submits its form; with it, it calls this. */
  readonly onClick?: () => void;
  /** Where Cancel goes. */
  readonly back: string;
}

export function ActionButtons({ label, danger = false, disabled = false, onClick, back }: ActionButtonsProps) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center' }}>
      <button
        type={onClick ? 'button' : 'submit'}
        disabled={disabled}
        onClick={onClick}
        style={{ ...buttonStyle, background: danger ? colors.error : colors.primary100, color: colors.white }}
      >
        {label}
      </button>
      <Link
        to={back}
        role="button"
        style={{
          ...buttonStyle,
          background: 'transparent',
          color: colors.grey100,
          border: `1px solid ${colors.grey40}`,
        }}
      >
        Cancel
      </Link>
    </div>
  );
}

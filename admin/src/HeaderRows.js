/** Custom headers as key/value rows; the API judges names and values, this only edits the list. */
import { Button, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/** Rows `[{ key, value }]` from the API's header object, and back (empty names left out). */
export const rowsOf = (headers) => Object.entries(headers ?? {}).map(([key, value]) => ({ key, value }));
export const headersOf = (rows) =>
  Object.fromEntries(rows.filter((row) => row.key.trim() !== '').map((row) => [row.key.trim(), row.value]));

export default function HeaderRows({ rows, onChange }) {
  const set = (index, patch) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div className="fcwh-headers">
      {rows.map((row, index) => (
        <div key={index} style={{ display: 'flex', gap: 8, alignItems: 'flex-end', marginBottom: 8 }}>
          <TextControl
            __next40pxDefaultSize
            label={sprintf(__('Header name %d', 'fluent-community-webhooks'), index + 1)}
            value={row.key}
            onChange={(key) => set(index, { key })}
          />
          <TextControl
            __next40pxDefaultSize
            label={sprintf(__('Header value %d', 'fluent-community-webhooks'), index + 1)}
            value={row.value}
            onChange={(value) => set(index, { value })}
          />
          <Button
            variant="tertiary"
            isDestructive
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
            label={sprintf(__('Remove header %d', 'fluent-community-webhooks'), index + 1)}
          >
            {__('Remove', 'fluent-community-webhooks')}
          </Button>
        </div>
      ))}
      <Button variant="secondary" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        {__('Add header', 'fluent-community-webhooks')}
      </Button>
    </div>
  );
}

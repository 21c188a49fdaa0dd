/** A notice at the top of the screen while the webhooks service (sidecar) cannot be reached, with what to check. */
import { Notice } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { listWebhooks, isSidecarDown, errorMessage } from './api';

export default function SidecarNotice() {
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    listWebhooks({ per_page: 1 }).then(
      () => setProblem(null),
      (error) => setProblem(isSidecarDown(error) ? errorMessage(error) : null),
    );
  }, []);
  if (!problem) return null;
  return (
    <Notice status="error" isDismissible={false} className="fcwh-sidecar-notice">
      <p>
        <strong>{__('The webhooks service is not reachable.', 'fluent-community-webhooks')}</strong> {problem}
      </p>
      <p>
        {__(
          'Check that the service is running (systemctl status fluent-community-webhooks), that FCWH_SIDECAR_URL and FCWH_SIDECAR_SECRET in wp-config.php match its FCWH_PORT and FCWH_SECRET, and see Tools → Site Health for details. Events are kept and delivered once it is back.',
          'fluent-community-webhooks',
        )}
      </p>
    </Notice>
  );
}

// https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/user
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataAgynUserConfig extends cdktf.TerraformMetaArguments {
  /**
  * Look up the user with this identity id (a UUID). A cluster admin reads the full record (`GetUser`); anyone else reads what `BatchGetUsers` shares, so `oidc_subject` and `cluster_role` are null. At most one of `identity_id`, `username` and `oidc_subject` may be set. When not set: the identity id of the user found.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/user#identity_id DataAgynUser#identity_id}
  */
  readonly identityId?: string;
  /**
  * Look up the user who signs in with this OIDC subject. Needs a cluster admin: the Gateway has no lookup by subject, so the provider scans `ListUsers`. At most one of `identity_id`, `username` and `oidc_subject` may be set. When not set: the subject of the user found, or null when the caller may not see it (a non-admin reading a user by `identity_id` or `username`).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/user#oidc_subject DataAgynUser#oidc_subject}
  */
  readonly oidcSubject?: string;
  /**
  * Look up the user with exactly this username: 1–32 lowercase letters, digits, `_` or `-` (anything else is refused at validation, before any Gateway call). It is found with `SearchUsers`, which returns at most 20 matches; when the exact one is not among them, a cluster admin's lookup goes on to scan `ListUsers`, anyone else's fails and says why. When no user has it, the error names similar usernames the caller can see. A non-admin gets null `oidc_subject` and `cluster_role`. At most one of `identity_id`, `username` and `oidc_subject` may be set. When not set: the username of the user found, or null if it has none.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/user#username DataAgynUser#username}
  */
  readonly username?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/user agyn_user}
*/
export class DataAgynUser extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "agyn_user";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataAgynUser resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataAgynUser to import
  * @param importFromId The id of the existing DataAgynUser that should be imported. Refer to the {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/user#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataAgynUser to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "agyn_user", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/user agyn_user} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataAgynUserConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataAgynUserConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'agyn_user',
      terraformGeneratorMetadata: {
        providerName: 'agyn',
        providerVersion: '0.1.0',
        providerVersionConstraint: '0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._identityId = config.identityId;
    this._oidcSubject = config.oidcSubject;
    this._username = config.username;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // cluster_role - computed: true, optional: false, required: false
  public get clusterRole() {
    return this.getStringAttribute('cluster_role');
  }

  // email - computed: true, optional: false, required: false
  public get email() {
    return this.getStringAttribute('email');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // identity_id - computed: true, optional: true, required: false
  private _identityId?: string; 
  public get identityId() {
    return this.getStringAttribute('identity_id');
  }
  public set identityId(value: string) {
    this._identityId = value;
  }
  public resetIdentityId() {
    this._identityId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get identityIdInput() {
    return this._identityId;
  }

  // name - computed: true, optional: false, required: false
  public get name() {
    return this.getStringAttribute('name');
  }

  // oidc_subject - computed: true, optional: true, required: false
  private _oidcSubject?: string; 
  public get oidcSubject() {
    return this.getStringAttribute('oidc_subject');
  }
  public set oidcSubject(value: string) {
    this._oidcSubject = value;
  }
  public resetOidcSubject() {
    this._oidcSubject = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get oidcSubjectInput() {
    return this._oidcSubject;
  }

  // photo_url - computed: true, optional: false, required: false
  public get photoUrl() {
    return this.getStringAttribute('photo_url');
  }

  // username - computed: true, optional: true, required: false
  private _username?: string; 
  public get username() {
    return this.getStringAttribute('username');
  }
  public set username(value: string) {
    this._username = value;
  }
  public resetUsername() {
    this._username = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get usernameInput() {
    return this._username;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      identity_id: cdktf.stringToTerraform(this._identityId),
      oidc_subject: cdktf.stringToTerraform(this._oidcSubject),
      username: cdktf.stringToTerraform(this._username),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      identity_id: {
        value: cdktf.stringToHclTerraform(this._identityId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      oidc_subject: {
        value: cdktf.stringToHclTerraform(this._oidcSubject),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      username: {
        value: cdktf.stringToHclTerraform(this._username),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
